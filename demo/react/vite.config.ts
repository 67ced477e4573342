import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { exampleBackend } from '../examples-backend.js';

// `npm start` at the repository root, then `npx vite demo/react` (after `npm run build`).
export default defineConfig({
  plugins: [react(), exampleBackend()],
});
