// The search attributes admins filter projects by in the Temporal UI. Keyword type;
// the dev server and the production setup register them under these names.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProjectKindKey = defineSearchAttributeKey('ProjectKind', SearchAttributeType.KEYWORD);
export const ProjectStageKey = defineSearchAttributeKey('ProjectStage', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const SiteIdKey = defineSearchAttributeKey('SiteId', SearchAttributeType.KEYWORD);

export const searchAttributeNames = ['ProjectKind', 'ProjectStage', 'CustomerId', 'SiteId'] as const;
