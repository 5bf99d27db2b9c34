export { Mailer, mailOf, type MailConfig } from './mailer.js';
export { Notifier, NOTIFIER_PRINCIPAL, type NotifierDeps } from './notifier.js';
export { ACTING_ROLES, notificationOfDeadline, notificationOfEvent, SENDING_ROLES } from './rules.js';
export { NOTIFICATION_KINDS, NotificationStore, type MailRecipient, type NewNotification, type Notification, type NotificationKind } from './store.js';
