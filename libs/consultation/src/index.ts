export * from './consultation.module';
export * from './consultation.database';
export * from './media/media-worker-pool';
export * from './media/worker-binary';
export {
  RoomsService,
  EMPTY_ROOM_MS,
  type PatientUrgency,
  type WaitingRoomUrgency,
} from './visit/rooms.service';
