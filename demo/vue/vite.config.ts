import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { exampleBackend } from '../examples-backend.js';

// `npm start` at the repository root, then `npx vite demo/vue` (after `npm run build`).
export default defineConfig({
  plugins: [
    // Tags with a dash that start with im- are custom elements, not Vue components.
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('im-') } } }),
    exampleBackend(),
  ],
});
