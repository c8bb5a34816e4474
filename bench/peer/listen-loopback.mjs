// Preloaded into the peer gateway (node --import): every server it opens listens on 127.0.0.1
// only. Portkey's start-server calls serve({ port }) without a hostname, which binds all interfaces.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) {
    const host = typeof args[1] === "string" ? args[1] : undefined;
    if (host === undefined) args.splice(1, 0, "127.0.0.1");
    else if (host !== "127.0.0.1" && host !== "localhost") args[1] = "127.0.0.1";
  } else if (args[0] && typeof args[0] === "object" && "port" in args[0]) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};
