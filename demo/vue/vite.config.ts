import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { exampleBackend } from '../examples-backend.js';

// At the repository root: `IM_CORS_ORIGINS=http://localhost:5173 npm start`, then `npx vite demo/vue`.
export default defineConfig({
  plugins: [
    // Tags with a dash that start with im- are custom elements, not Vue components.
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('im-') } } }),
    exampleBackend(),
  ],
});
