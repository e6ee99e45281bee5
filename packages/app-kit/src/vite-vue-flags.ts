// Build-time flags every Vue app of the project sets (Vite `define` and `resolve.alias`): Vue's options API kept,
// no devtools in production, vue-i18n's runtime-only build with precompiled messages (no message compiler shipped).
export const VUE_BUILD_DEFINES: Record<string, string> = {
  __VUE_OPTIONS_API__: 'true',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  __VUE_I18N_FULL_INSTALL__: 'false',
  __VUE_I18N_LEGACY_API__: 'false',
  __INTLIFY_PROD_DEVTOOLS__: 'false',
  __INTLIFY_JIT_COMPILATION__: 'true',
  __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
};

export const VUE_I18N_RUNTIME_ALIAS = { 'vue-i18n': 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' };
