// The one list of failure types the workflows raise; the API maps them to HTTP in one place.
export enum ErrorType {
  TaskNotOpen = 'TaskNotOpen',
  InvalidPayload = 'InvalidPayload',
  ProjectClosed = 'ProjectClosed',
  /** The actor's role or assignment does not allow this (defence in depth behind the API). */
  NotAllowed = 'NotAllowed',
  /** Another installer holds the job. */
  JobTaken = 'JobTaken',
  /** The job's protocol is not whole yet: details name what is missing. */
  ProtocolIncomplete = 'ProtocolIncomplete',
  /** A field-work change that does not fit the job's state (a trip already started, no work order yet). */
  FieldWorkConflict = 'FieldWorkConflict',
  /** A trip, line or attachment the change names is not on the job. */
  UnknownItem = 'UnknownItem',
  /** The read model refused a batch for a reason a retry will not heal (constraint, data, schema). */
  ReadModelRejected = 'ReadModelRejected',
}
