/**
 * The fake upstream in a process of its own, so it never shares an event loop with the load
 * generator. Prints `ready <port>` on stdout once listening on 127.0.0.1.
 */
import { startFakeUpstream } from "../../test/fake-upstream/server";

const port = Number(process.argv[2] ?? 0);
const upstream = await startFakeUpstream(port);
process.stdout.write(`ready ${upstream.port}\n`);
const stop = () => void upstream.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
