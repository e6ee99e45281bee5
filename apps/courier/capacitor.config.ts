// Capacitor wraps the built PWA (dist/) into the Android app for couriers; `npx cap add android` creates the
// platform folder when we ship it. Until then the PWA is the product.
import type { CapacitorConfig } from '@capacitor/cli';

const config: CapacitorConfig = {
  appId: 'ci.ecom.courier',
  appName: 'Ecom Livreur',
  webDir: 'dist',
  android: { webContentsDebuggingEnabled: false },
  server: { androidScheme: 'https' },
};

export default config;
