export * from './notify.module';
export * from './notify.database';
export { JobQueue, type JobHandler, type RetryPolicy } from './job-queue';
export { NotificationService, type NotificationRequest } from './notification.service';
export type { DeliveryOutcome, NotificationChannel, OutgoingNotification } from './channels/channel';
export { InvalidPhoneNumberError, normalisePhone } from './phone/vn-phone';
