// Capacitor wraps the built PWA (dist/) into the Android app. `npx cap add android` creates the platform folder
// when we ship to the Play Store; until then the PWA is the product.
import type { CapacitorConfig } from '@capacitor/cli';

const config: CapacitorConfig = {
  appId: 'ci.ecom.client',
  appName: 'Ecom',
  webDir: 'dist',
  android: {
    // Cheap phones: no WebView debugging in release builds, and keep the APK small.
    webContentsDebuggingEnabled: false,
  },
  server: { androidScheme: 'https' },
};

export default config;
