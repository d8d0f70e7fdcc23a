// The one list of failure types the workflows raise; the API maps them to HTTP in one place.
export enum ErrorType {
  TaskNotOpen = 'TaskNotOpen',
  InvalidPayload = 'InvalidPayload',
  ProjectClosed = 'ProjectClosed',
  /** The actor's role or assignment does not allow this (defence in depth behind the API). */
  NotAllowed = 'NotAllowed',
  /** Another installer holds the job. */
  JobTaken = 'JobTaken',
  /** The read model refused a batch for a reason a retry will not heal (constraint, data, schema). */
  ReadModelRejected = 'ReadModelRejected',
}
