import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { precompileMessages } from '@ecom/app-kit/vite-i18n-ast';

// The admin dashboard (docs/admin.md): a laptop web app, no PWA. Vue's and vue-i18n's compile-time flags like the
// other apps, the messages precompiled (vue-i18n's runtime build, no message compiler shipped), every page lazy.
export default defineConfig({
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  resolve: { alias: { 'vue-i18n': 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' } },
  plugins: [vue(), precompileMessages(/[\\/]apps[\\/]admin[\\/]src[\\/]i18n[\\/][a-z.]+\.json$/)],
  server: { port: 5176 },
  preview: { port: 5176 },
  build: { target: 'es2020', sourcemap: false, reportCompressedSize: false, manifest: true },
});
