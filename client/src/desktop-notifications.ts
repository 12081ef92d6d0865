import type { Alert, AlertPermission } from './alerts';
import type { Listen } from './dom';
import type { Elements } from './elements';
import { toast } from './notify';
import { loadNotifyChoice, saveNotifyChoice } from './storage';

/** What the browser allows: the Notification API's permission, or that it has none. */
export function notificationPermission(): AlertPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Desktop notifications (the Notification API): off until the user turns them on with the bell
 * button, which is when the browser asks for permission (never on load). Shows the alerts that
 * `Alerts` decides on; clicking one brings the tab forward at its room.
 */
export class DesktopNotifications {
  private chosen: boolean;

  constructor(
    private readonly el: Elements,
    private readonly userId: number,
    private readonly openRoom: (roomId: number) => void,
  ) {
    this.chosen = loadNotifyChoice(userId);
  }

  /** On, and allowed by the browser. */
  get enabled(): boolean {
    return this.chosen && notificationPermission() === 'granted';
  }

  bind(on: Listen): void {
    on(this.el.notifyToggle, 'click', () => void this.toggle());
    this.render();
  }

  show(alert: Alert): void {
    if (!this.enabled) return;
    try {
      const notification = new Notification(alert.title, { body: alert.body, tag: alert.tag });
      notification.onclick = () => {
        window.focus();
        this.openRoom(alert.roomId);
        notification.close();
      };
    } catch {
      // Some browsers only show notifications from a service worker: nothing to show then.
    }
  }

  private async toggle(): Promise<void> {
    if (this.enabled) {
      this.set(false);
      toast('Desktop notifications are off');
      return;
    }
    const permission = notificationPermission();
    if (permission === 'unsupported') {
      toast('This browser cannot show desktop notifications.', 'error');
      return;
    }
    const answer = permission === 'default' ? await Notification.requestPermission() : permission;
    if (answer !== 'granted') {
      this.set(false);
      toast('Notifications are blocked for this site in the browser settings.', 'error');
      return;
    }
    this.set(true);
    toast('Desktop notifications are on for mentions and direct messages');
  }

  private set(on: boolean): void {
    this.chosen = on;
    saveNotifyChoice(this.userId, on);
    this.render();
  }

  private render(): void {
    const button = this.el.notifyToggle;
    const on = this.enabled;
    button.setAttribute('aria-pressed', String(on));
    button.classList.toggle('on', on);
    button.title = on
      ? 'Desktop notifications are on (click to turn them off)'
      : 'Turn on desktop notifications for mentions and direct messages';
  }
}
