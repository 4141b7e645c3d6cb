/**
 * Running a campaign: the approver's review (audience after suppression, sample messages, cost),
 * launch, pause, resume, cancel (each audited) and the live funnel. Bodies call camp-dispatch's
 * use cases in packages/core/src/campaigns/dispatch.
 */
export const campaignRunProcedures = {};
