/** Who performed an audited action (a signed-in staff user; SessionUser satisfies it). */
export interface Actor {
  id: string;
  name: string;
  role: string;
  orgUnitId: string;
}
