import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { precompileMessages } from '@ecom/app-kit/vite-i18n-ast';
import { VUE_BUILD_DEFINES, VUE_I18N_RUNTIME_ALIAS } from '@ecom/app-kit/vite-vue-flags';

// The admin dashboard (docs/admin.md): a laptop web app, no PWA. The project's Vue build flags, the messages
// precompiled (vue-i18n's runtime build, no message compiler shipped), every page lazy.
export default defineConfig({
  define: VUE_BUILD_DEFINES,
  resolve: { alias: VUE_I18N_RUNTIME_ALIAS },
  plugins: [vue(), precompileMessages(/[\\/]apps[\\/]admin[\\/]src[\\/]i18n[\\/][a-z.]+\.json$/)],
  server: { port: 5176 },
  preview: { port: 5176 },
  build: { target: 'es2020', sourcemap: false, reportCompressedSize: false, manifest: true },
});
