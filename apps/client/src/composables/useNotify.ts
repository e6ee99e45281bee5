// Toasts and confirmations go through here (STYLE rule 19), so they look and behave the same everywhere.
// Ionic's overlay controllers are loaded on first use, not with the first screen.
import { useI18n } from 'vue-i18n';

export function useNotify() {
  const { t } = useI18n();

  async function toast(message: string, color: 'success' | 'danger' | 'medium' = 'medium'): Promise<void> {
    const { toastController } = await import('../lib/overlays.ts');
    const el = await toastController.create({ message, color, duration: 2500, position: 'top' });
    await el.present();
  }

  /** Resolves true when the person confirms. */
  async function confirm(header: string, message: string, confirmText: string): Promise<boolean> {
    const { alertController } = await import('../lib/overlays.ts');
    const el = await alertController.create({
      header,
      message,
      buttons: [
        { text: t('common.cancel'), role: 'cancel' },
        { text: confirmText, role: 'confirm', cssClass: 'alert-danger' },
      ],
    });
    await el.present();
    const { role } = await el.onDidDismiss();
    return role === 'confirm';
  }

  return { toast, confirm };
}
