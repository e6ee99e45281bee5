// The staff apps (merchant, courier) build as every Ecom app does (vite-app.ts), under the name their configs use.
export { appConfig as staffAppConfig } from './vite-app.ts';
