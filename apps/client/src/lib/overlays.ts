// Toasts and alerts straight from @ionic/core, loaded by useNotify on first use. Through @ionic/vue they would sit
// in the one shared @ionic/vue chunk and weigh on the first screen.
import { alertController as alerts, toastController as toasts } from '@ionic/core/components';
import { defineCustomElement as defineAlert } from '@ionic/core/components/ion-alert.js';
import { defineCustomElement as defineToast } from '@ionic/core/components/ion-toast.js';

export const toastController = {
  create(options: Parameters<typeof toasts.create>[0]) {
    defineToast();
    return toasts.create(options);
  },
};

export const alertController = {
  create(options: Parameters<typeof alerts.create>[0]) {
    defineAlert();
    return alerts.create(options);
  },
};
