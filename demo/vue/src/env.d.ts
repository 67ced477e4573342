/// <reference types="vite/client" />
// <im-chat> in Vue's GlobalComponents, with its props and events.
import type {} from 'im-chat/vue';
