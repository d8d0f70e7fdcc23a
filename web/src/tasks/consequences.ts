// What completing a task with these values will do that cannot be taken back: closing the
// project, rejecting the order, cancelling the sale. The form asks before it sends them.

export interface Consequence {
  /** The question, saying what will happen. */
  question: string;
  /** The button that goes ahead, saying what it does. */
  confirm: string;
}

const closes = (how: string, after: string): Consequence => ({
  question: `This closes the project as ${how}. ${after} Its open tasks end and no more work can be done on it; this cannot be undone.`,
  confirm: `Yes, close it as ${how}`,
});

/** The consequence of completing a task of this type with these values, when it is one to confirm. */
export function consequenceOf(type: string, values: Record<string, unknown>): Consequence | undefined {
  switch (type) {
    case 'service_request':
      return values.resolution === 'not_required' ? closes('not required', 'The customer sees the case as cancelled.') : undefined;
    case 'manufacturer_outcome':
    case 'internal_review':
      if (values.outcome === 'resolved') return closes('resolved', 'The customer sees the case as completed.');
      if (values.outcome === 'unable_to_resolve') return closes('unresolved', 'The customer sees the case as a problem.');
      return undefined;
    case 'service_review':
      if (values.outcome === 'resolved') return closes('resolved', 'The customer sees the case as completed.');
      if (values.outcome === 'cannot_resolve') return closes('unresolved', 'The customer sees the case as a problem.');
      return undefined;
    case 'approve_service_order':
      return values.decision === 'reject'
        ? { question: 'This rejects the service order: the project closes as rejected, with your reason in its timeline, and no job is sent out. This cannot be undone.', confirm: 'Yes, reject the order' }
        : undefined;
    case 'review_inspection_report':
      return values.outcome === 'fail'
        ? { question: 'A failed inspection cancels the sale: the project closes as cancelled, no installation follows. This cannot be undone.', confirm: 'Yes, fail the inspection' }
        : undefined;
    default:
      return undefined;
  }
}
