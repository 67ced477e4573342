/**
 * socket.io-client with the widget's packet encoder: what a connection needs once it goes
 * online, loaded then rather than with the widget (see `Connection`).
 */
export { io } from 'socket.io-client';
export { socketParser } from './socket-encoder.js';
