// The statistics routes' answers (API.md, "Routes for the customer side").
export type CaseGroup = 'site' | 'category' | 'status' | 'month';

export interface CaseCount {
  key: string;
  count: number;
  /** A site's address. */
  label?: string;
}

export interface CaseCounts {
  by: CaseGroup;
  items: CaseCount[];
}

export interface StageLeadTime {
  stage: string;
  /** Seconds. */
  median: number;
  p90: number;
  count: number;
}
