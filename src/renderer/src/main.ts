// Renderer entry: picks the API transport, installs it for the stores, and mounts the app.

import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createApiClient } from './api/client';
import App from './components/App.vue';
import { setApiClient } from './stores/client';
import './styles.css';

setApiClient(createApiClient());
createApp(App).use(createPinia()).mount('#app');
