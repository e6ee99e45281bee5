// Toasts and alerts straight from @ionic/core, defined on first use (outside the first screen's shared chunk).
import { alertController, toastController } from '@ionic/core/components';
import { defineCustomElement as defineAlert } from '@ionic/core/components/ion-alert.js';
import { defineCustomElement as defineToast } from '@ionic/core/components/ion-toast.js';

export async function showToast(message: string, color: 'success' | 'danger' | 'medium'): Promise<void> {
  defineToast();
  const el = await toastController.create({ message, color, duration: 2500, position: 'top' });
  await el.present();
}

export async function askText(opts: {
  header: string;
  placeholder: string;
  cancel: string;
  confirm: string;
}): Promise<string | null> {
  defineAlert();
  const el = await alertController.create({
    header: opts.header,
    inputs: [{ name: 'text', type: 'textarea', placeholder: opts.placeholder, attributes: { maxlength: 280 } }],
    buttons: [
      { text: opts.cancel, role: 'cancel' },
      { text: opts.confirm, role: 'confirm' },
    ],
  });
  await el.present();
  const { role, data } = await el.onDidDismiss<{ values: { text: string } }>();
  return role === 'confirm' ? (data?.values.text ?? '') : null;
}

/** A yes / no question; true when confirmed. */
export async function askConfirm(opts: { header: string; cancel: string; confirm: string }): Promise<boolean> {
  defineAlert();
  const el = await alertController.create({
    header: opts.header,
    buttons: [
      { text: opts.cancel, role: 'cancel' },
      { text: opts.confirm, role: 'confirm' },
    ],
  });
  await el.present();
  return (await el.onDidDismiss()).role === 'confirm';
}
