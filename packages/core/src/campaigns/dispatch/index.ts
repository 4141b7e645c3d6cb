/** Campaign dispatch: launch and control, flow progression, the exactly-once send path, the funnel. */
export * from "./types";
export * from "./launch";
export * from "./estimate";
export * from "./funnel";
export * from "./waves";
export * from "./send-chunk";
export * from "./recovery";
export * from "./trigger-waves";
export { DEFAULT_POLICY, loadPolicy, clearPolicyCache, ofCampaign } from "./context";
