/** The sign-in form: the token goes in a POST body, never in a URL. */
import { Page } from "./layout";

export function LoginPage(props: { error?: string }) {
  return (
    <Page title="Sign in" role={null}>
      <form method="post" action="/dashboard/login" class="login">
        <h1>Sign in to the dashboard</h1>
        <p>Use the admin token, or the read-only <code>DASHBOARD_TOKEN</code>.</p>
        {props.error && <p class="error" role="alert">{props.error}</p>}
        <input type="password" name="token" autocomplete="current-password" placeholder="token" required autofocus />
        <button type="submit">Sign in</button>
      </form>
    </Page>
  );
}
