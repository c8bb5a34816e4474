/** The review queue: sampled requests a person labels (opt-in per route; see the README's review sample). */
import type { Context } from "hono";
import type { DashboardEnv } from "../session";
import { Page } from "./layout";

export function reviewPage(c: Context<DashboardEnv>) {
  return c.html(
    <Page title="Review" role={c.get("role")}>
      <h1>Review queue</h1>
      <p class="empty">No route keeps a review sample yet.</p>
    </Page>,
  );
}
