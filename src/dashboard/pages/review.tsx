/**
 * The review queue: requests a route's `review.sampleRate` picked (opt-in per route; see the README's
 * review sample), their prompt and answer, and a label form — tier 1–3 the request needed, and whether
 * the cheap tier's answer was good enough. Labelling needs an admin session (signed in with the admin
 * token); the read-only DASHBOARD_TOKEN sees the queue but cannot post.
 */
import type { Context } from "hono";
import { listReviewQueue, type ReviewItem } from "../../storage/review-store";
import type { DashboardEnv } from "../session";
import { Page } from "./layout";

function LabelForm(props: { item: ReviewItem }) {
  const id = props.item.request_id;
  return (
    <form method="post" action={`/dashboard/review/${encodeURIComponent(id)}`} class="label" data-label-form={id}>
      <label>Tier needed <select name="tier">{[1, 2, 3].map((t) => <option value={String(t)} selected={t === (props.item.label_tier ?? props.item.classifier_tier ?? 1)}>{String(t)}</option>)}</select></label>
      <label>Cheap answer good enough <select name="goodEnough"><option value="yes">yes</option><option value="no" selected={props.item.label_good_enough === 0}>no</option></select></label>
      <button type="submit">Save label</button>
    </form>
  );
}

export async function reviewPage(c: Context<DashboardEnv>) {
  const all = c.req.query("all") === "1";
  const items = await listReviewQueue(c.env.LEDGER, { all, limit: 100 });
  const admin = c.get("role") === "admin";
  const saved = c.req.query("saved");
  return c.html(
    <Page title="Review" role={c.get("role")}>
      <h1>Review queue</h1>
      <p>{all ? <a href="/dashboard/review">Unlabelled only</a> : <a href="/dashboard/review?all=1">Show labelled too</a>}</p>
      {saved && <p class="note" data-saved={saved}>Label saved for {saved}.</p>}
      {!admin && <p class="note">Signed in read-only: labelling needs the admin token.</p>}
      {items.length === 0 && <p class="empty">{all ? "No sampled requests (a route keeps a sample when its config has review.sampleRate)." : "Nothing left to label."}</p>}
      {items.map((it) => (
        <section class="review-item" data-review={it.request_id}>
          <h2><a href={`/dashboard/requests/${encodeURIComponent(it.request_id)}`}>{it.request_id}</a> · route {it.route} · classifier tier {it.classifier_tier === null ? "—" : String(it.classifier_tier)} · {it.served_model ?? "—"} · {new Date(it.ts).toISOString()}</h2>
          {it.label_tier !== null && <p class="note" data-labelled={String(it.label_tier)}>Labelled tier {String(it.label_tier)}, cheap answer good enough: {it.label_good_enough === 1 ? "yes" : "no"} (by {it.labeller ?? "?"})</p>}
          <h3>Prompt</h3><pre class="text">{it.prompt ?? "(text not stored: review.storeText is false)"}</pre>
          <h3>Answer</h3><pre class="text">{it.answer ?? "(text not stored)"}</pre>
          {it.truncated === 1 && <p class="note">Cut to the route's review.maxChars.</p>}
          {admin && <LabelForm item={it} />}
        </section>
      ))}
    </Page>,
  );
}
