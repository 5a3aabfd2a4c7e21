export const RUN_QUEUE_NAME = 'operation-runs';
export const RUN_QUEUE_CONNECTION = 'redis';
