// PostGraphile v5 with its default "amber" preset over the benchmark
// database, schema public: the comparison anchor of the cprgraph benchmark
// (bench/). No authentication, masking or audit log: it serves the tables as
// they are. Configured by the environment:
//
//	DATABASE_URL  the benchmark database (a read-only role is enough)
//	LISTEN_ADDR   host:port, default 127.0.0.1:5678
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

const [host, port] = (process.env.LISTEN_ADDR ?? "127.0.0.1:5678").split(":");

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { graphiql: false, watch: false, maxRequestLength: 1 << 20 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
server.listen(Number(port), host, () => console.log(`postgraphile listening on http://${host}:${port}/graphql`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    server.close();
    await pgl.release();
    process.exit(0);
  });
}
