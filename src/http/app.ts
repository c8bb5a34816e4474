/**
 * The gateway's HTTP surface. Every error, thrown anywhere, leaves as an OpenAI-style body, except
 * on an inbound format with its own error shape (the Anthropic one on /v1/messages).
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { GatewayError, internalError } from "../core/errors";
import { newRequestId } from "../core/ids";
import { rememberSecrets } from "../core/secrets";
import type { AppEnv } from "../env";
import { admin } from "./admin";
import { dashboard } from "../dashboard/app";
import { requireClient } from "./client-auth";
import { gatewayHandler } from "./gateway-handler";
import { openAICodec } from "./openai-codec";
import { responsesCodec } from "./responses/codec";
import { anthropicCodec } from "./anthropic/codec";
import { errorResponse } from "./error-response";
import { handleEmbeddings } from "./embeddings";
import { handleFeedback } from "./feedback";
import { handleHealth } from "./health";
import { handleModel, handleModels } from "./models";
import { handleCountTokens } from "./anthropic/count-tokens";
import { logEvent } from "../core/log";

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use("*", async function requestId(c, next) {
    rememberSecrets(c.env);
    const id = newRequestId();
    c.set("requestId", id);
    c.set("receivedAt", Date.now());
    await next();
    c.res.headers.set("x-tiergate-request-id", id);
  });
  // Every /v1/* endpoint needs a gateway key (closed by default), /v1/models included; browsers
  // (CORS, preflight included) only from origins their key lists. See client-auth.ts.
  app.use("/v1/*", requireClient());

  app.get("/healthz", handleHealth);
  app.get("/v1/models", handleModels);
  app.get("/v1/models/:id{.+}", handleModel);
  app.post("/v1/chat/completions", gatewayHandler(openAICodec));
  // Claude clients: the Anthropic Messages format, routed by the same engine.
  app.post("/v1/messages", gatewayHandler(anthropicCodec));
  app.post("/v1/messages/count_tokens", handleCountTokens);
  // The Responses API (openai SDK responses.*, the AI SDK's default openai() provider), same engine.
  app.post("/v1/responses", gatewayHandler(responsesCodec));
  app.post("/v1/embeddings", handleEmbeddings);
  app.post("/v1/feedback", handleFeedback);
  app.route("/admin", admin);
  app.route("/dashboard", dashboard);

  app.notFound((c) =>
    errorResponse(new GatewayError({ status: 404, type: "not_found_error", code: "unknown_endpoint", message: `no endpoint ${c.req.method} ${new URL(c.req.url).pathname}`, errorClass: "not_found", retryable: false })),
  );
  app.onError((err, c) => {
    if (err instanceof GatewayError) return errorResponse(err);
    if (err instanceof HTTPException) {
      return errorResponse(new GatewayError({ status: err.status, type: "invalid_request_error", code: "http_error", message: err.message, errorClass: "bad_request", retryable: false }));
    }
    logEvent("error", "unhandled_error", { requestId: c.get("requestId"), error: String(err), stack: err instanceof Error ? err.stack : undefined });
    return errorResponse(internalError(err));
  });
  return app;
}
