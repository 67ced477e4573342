// Registers <im-chat> before Vue renders it, so that Vue sees its properties.
import 'im-chat';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
