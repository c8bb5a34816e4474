export default {
  async fetch(req: Request, env: { UPSTREAM: string }): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/probe") {
      const r = await fetch(env.UPSTREAM + "/hello");
      return new Response("got:" + (await r.text()));
    }
    return new Response("ok");
  },
};
