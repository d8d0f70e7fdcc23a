// The one list of failure types the workflows raise; the API maps them to HTTP in one place.
export enum ErrorType {
  TaskNotOpen = 'TaskNotOpen',
  InvalidPayload = 'InvalidPayload',
  ProjectClosed = 'ProjectClosed',
}
