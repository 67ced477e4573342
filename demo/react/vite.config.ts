import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { exampleBackend } from '../examples-backend.js';

// At the repository root: `IM_CORS_ORIGINS=http://localhost:5173 npm start`, then `npx vite demo/react`.
export default defineConfig({
  plugins: [react(), exampleBackend()],
});
