/**
 * A local Neo4j Community server for development (`npm start`, `npm run neo4j`) and tests
 * (vitest globalSetup), run straight from the jars on Maven Central: a fresh machine needs only
 * Java 17+ and Maven, no Docker, tarball or system service.
 *
 * Everything lives in the git-ignored `.local/neo4j/`:
 *   dist-<version>/lib   the jars, downloaded once per version and shared by both instances
 *   browser-<version>/   Neo4j Browser's jar, downloaded on the first start with NEO4J_HTTP_PORT set
 *   <dev|test>/          one instance: conf/, data/, logs/, run/ and its password file
 *
 * CLI: tsx scripts/neo4j-local.ts [--test] [--download-only | --stop] (a thin wrapper over `cli`
 * below). The code lives under src/ because `npm start` (src/app/database.ts) uses it: src never
 * imports scripts/.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import neo4j, { type Driver } from "neo4j-driver";

export interface LocalNeo4j {
  uri: string;
  username: string;
  password: string;
  database: string;
  /** true when this call started the JVM */
  started: boolean;
  stop(): Promise<void>;
}

export interface LocalNeo4jOptions {
  instance: "dev" | "test";
  log?: (line: string) => void;
  /**
   * Stop the JVM and exit the process on SIGINT/SIGTERM (default true). Pass false when the
   * caller has its own shutdown handler: it then calls stop() itself. Either way, if the process
   * exits with the JVM still running, the JVM is sent SIGTERM.
   */
  handleSignals?: boolean;
}

type Instance = LocalNeo4jOptions["instance"];
type Log = (line: string) => void;

const DEFAULT_VERSION = "5.26.30";
const USERNAME = "neo4j";
const DATABASE = "neo4j";
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;
const POLL_MS = 250;
/**
 * Neo4j Browser, served by the dev instance at http://127.0.0.1:$NEO4J_HTTP_PORT/browser/ when
 * NEO4J_HTTP_PORT is set (Neo4j serves it from a jar on its classpath, as its tarball does). Maven's
 * neo4j artifact leaves it out; 5.24.0 is the newest 5.x Browser on Maven Central (the one of the
 * 5.26 tarball is not there) and works with 5.26. Development only: it is raw database access.
 */
const BROWSER_VERSION = "5.24.0";
// Pinned so that a download is reproducible; the bare `dependency:` prefix takes the newest plugin.
const DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
// Flags Neo4j needs on Java 17+ (native IO, Netty); the tarball's neo4j.conf carries the same.
const JVM_FLAGS = [
  "--add-opens=java.base/java.nio=ALL-UNNAMED",
  "--add-opens=java.base/java.io=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  "-Dio.netty.tryReflectionSetAccessible=true",
  "--enable-native-access=ALL-UNNAMED",
  "-XX:+UseG1GC",
];

// Sized for a 2-core / 24 GiB machine: dev holds the real data set, tests only a few nodes.
const INSTANCE_DEFAULTS: Record<Instance, { boltPort: number; boltPortEnv: string; heap: string; pageCache: string }> = {
  dev: { boltPort: 7687, boltPortEnv: "NEO4J_BOLT_PORT", heap: "4g", pageCache: "6g" },
  test: { boltPort: 7688, boltPortEnv: "NEO4J_TEST_BOLT_PORT", heap: "1g", pageCache: "512m" },
};

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const LOCAL_DIR = path.join(PROJECT_ROOT, ".local", "neo4j");

const execFileAsync = promisify(execFile);
const defaultLog: Log = (line) => console.error(`[neo4j] ${line}`);

// ---------------------------------------------------------------------------------------------
// Settings and paths

interface Settings {
  instance: Instance;
  version: string;
  boltPort: number;
  httpPort: number | undefined;
  heap: string;
  pageCache: string;
}

function readSettings(instance: Instance): Settings {
  const defaults = INSTANCE_DEFAULTS[instance];
  return {
    instance,
    version: envValue("NEO4J_VERSION", /^\d+\.\d+\.\d+$/, "a version such as 5.26.30") ?? DEFAULT_VERSION,
    boltPort: envPort(defaults.boltPortEnv) ?? defaults.boltPort,
    // Only dev gets HTTP: one NEO4J_HTTP_PORT in the shell must not make both instances clash.
    httpPort: instance === "dev" ? envPort("NEO4J_HTTP_PORT") : undefined,
    // The same string goes to the conf and to -Xms/-Xmx, so accept what both understand.
    heap: envValue("NEO4J_HEAP", /^\d+[kmg]$/i, "a size such as 4g or 512m") ?? defaults.heap,
    pageCache: envValue("NEO4J_PAGECACHE", /^\d+[kmg]$/i, "a size such as 6g or 512m") ?? defaults.pageCache,
  };
}

function envValue(name: string, pattern: RegExp, expected: string): string | undefined {
  const value = process.env[name]?.trim();
  if (!value) return undefined;
  if (!pattern.test(value)) throw new Error(`${name}=${value} is not valid: expected ${expected}`);
  return value;
}

function envPort(name: string): number | undefined {
  const value = envValue(name, /^\d{1,5}$/, "a TCP port");
  if (value === undefined) return undefined;
  const port = Number(value);
  if (port < 1 || port > 65535) throw new Error(`${name}=${value} is not a TCP port`);
  return port;
}

interface Paths {
  lib: string;
  /** Neo4j Browser's jar (on the classpath only when the HTTP connector is on). */
  browserLib: string;
  home: string;
  conf: string;
  data: string;
  logs: string;
  run: string;
  pidFile: string;
  passwordFile: string;
  consoleLog: string;
}

function pathsFor(instance: Instance, version: string): Paths {
  const home = path.join(LOCAL_DIR, instance);
  const logs = path.join(home, "logs");
  const run = path.join(home, "run");
  return {
    lib: path.join(distDir(version), "lib"),
    browserLib: path.join(LOCAL_DIR, `browser-${BROWSER_VERSION}`, "lib"),
    home,
    conf: path.join(home, "conf"),
    data: path.join(home, "data"),
    logs,
    run,
    // Same name as the neo4j launcher uses, so its `neo4j stop` would work on it too.
    pidFile: path.join(run, "neo4j.pid"),
    passwordFile: path.join(home, "password"),
    consoleLog: path.join(logs, "console.log"),
  };
}

function distDir(version: string): string {
  return path.join(LOCAL_DIR, `dist-${version}`);
}

// ---------------------------------------------------------------------------------------------
// Prerequisites and download

function javaCommand(): string {
  const javaHome = process.env.JAVA_HOME;
  return javaHome ? path.join(javaHome, "bin", "java") : "java";
}

async function checkPrerequisites(settings: Settings, paths: Paths): Promise<void> {
  const minJava = settings.version.startsWith("5.") ? 17 : 21; // Neo4j 2025.x onwards needs 21
  const java = javaCommand();
  const where = process.env.JAVA_HOME ? `$JAVA_HOME/bin/java (${java})` : "`java` on the PATH";
  const fix =
    `apt-get install openjdk-${minJava}-jre-headless (or set JAVA_HOME to a Java ${minJava}+ install), ` +
    "or set NEO4J_URI to an existing server";
  const major = await javaMajorVersion(java);
  if (major === undefined) {
    throw new Error(`Java ${minJava}+ is needed to run the local Neo4j, but ${where} was not found: ${fix}`);
  }
  if (major < minJava) {
    throw new Error(`Java ${minJava}+ is needed to run the local Neo4j, but ${where} is Java ${major}: ${fix}`);
  }
  const missing = jarSetsFor(settings, paths).filter((set) => !fs.existsSync(set.lib));
  if (missing.length > 0 && !(await commandRuns("mvn", ["-v"]))) {
    throw new Error(
      `Maven is needed to download ${missing.map((set) => set.name).join(" and ")} from Maven Central (once): ` +
        "apt-get install maven, or set NEO4J_URI to an existing server",
    );
  }
}

async function javaMajorVersion(java: string): Promise<number | undefined> {
  try {
    const { stdout, stderr } = await execFileAsync(java, ["-version"]);
    // `version "17.0.15"`, or `version "1.8.0_392"` up to Java 8
    const match = /version "(?:1\.)?(\d+)/.exec(stderr + stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function commandRuns(command: string, args: string[]): Promise<boolean> {
  return execFileAsync(command, args).then(
    () => true,
    () => false,
  );
}

/** A folder of jars that Maven fills once from one artifact and its runtime dependencies. */
export interface JarSet {
  /** What the log calls it: "Neo4j 5.26.30". */
  name: string;
  /** The folder the jars go to (renamed into place only when complete). */
  lib: string;
  /** groupId, artifactId, version of the artifact. */
  artifact: [string, string, string];
  /** A jar that a complete download has. */
  expectedJar: string;
}

/**
 * The jars an instance runs with: Neo4j's, and Neo4j Browser's when the HTTP connector is on (the
 * dev instance with NEO4J_HTTP_PORT set). Reads the same environment as a start.
 */
export function jarSets(instance: Instance): JarSet[] {
  const settings = readSettings(instance);
  return jarSetsFor(settings, pathsFor(instance, settings.version));
}

function jarSetsFor(settings: Settings, paths: Paths): JarSet[] {
  const sets: JarSet[] = [
    { name: `Neo4j ${settings.version}`, lib: paths.lib, artifact: ["org.neo4j", "neo4j", settings.version], expectedJar: `neo4j-${settings.version}.jar` },
  ];
  if (settings.httpPort) {
    sets.push({
      name: `Neo4j Browser ${BROWSER_VERSION}`,
      lib: paths.browserLib,
      artifact: ["org.neo4j.client", "neo4j-browser", BROWSER_VERSION],
      expectedJar: `neo4j-browser-${BROWSER_VERSION}.jar`,
    });
  }
  return sets;
}

async function ensureJars(settings: Settings, paths: Paths, log: Log): Promise<void> {
  for (const set of jarSetsFor(settings, paths)) await ensureJarSet(set, log);
}

async function ensureJarSet(set: JarSet, log: Log): Promise<void> {
  if (fs.existsSync(set.lib)) return;
  const dist = path.dirname(set.lib);
  await fsp.mkdir(dist, { recursive: true });
  await removeAbandonedDownloads(dist);

  const pom = path.join(dist, "pom.xml");
  await writeFileAtomically(pom, pomXml(set));
  // Each process downloads into its own folder; only a complete one is renamed to lib/.
  const partial = path.join(dist, `lib.partial-${process.pid}`);
  log(`downloading ${set.name} from Maven Central...`);
  const startedAt = Date.now();
  try {
    await execFileAsync(
      "mvn",
      ["-B", "-q", "-f", pom, `${DEPENDENCY_PLUGIN}:copy-dependencies`, "-DincludeScope=runtime", `-DoutputDirectory=${partial}`],
      { cwd: dist, maxBuffer: 16 * 1024 * 1024 },
    );
    if (!fs.existsSync(path.join(partial, set.expectedJar))) {
      throw new Error(`Maven finished but ${partial} has no ${set.expectedJar}`);
    }
  } catch (error) {
    await fsp.rm(partial, { recursive: true, force: true });
    throw new Error(
      `Maven could not download ${set.name}:\n${outputTail(error)}\n` +
        "Check access to Maven Central (or the mirror in ~/.m2/settings.xml).",
    );
  }
  try {
    await fsp.rename(partial, set.lib);
  } catch (error) {
    if (!fs.existsSync(set.lib)) throw error;
    await fsp.rm(partial, { recursive: true, force: true }); // another process finished first
  }
  log(`downloaded ${set.name} in ${secondsSince(startedAt)} s`);
}

/** The pom that Maven's copy-dependencies reads to fetch one jar set. Exported for a test. */
export function pomXml(set: JarSet): string {
  const [groupId, artifactId, version] = set.artifact;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <!-- Written by src/local/neo4j-local.ts: only used to fetch ${set.name}'s jars into lib/. -->
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId>
  <artifactId>${artifactId}-dist</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`;
}

async function removeAbandonedDownloads(dist: string): Promise<void> {
  for (const entry of await fsp.readdir(dist)) {
    const pid = /^lib\.partial-(\d+)$/.exec(entry)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) {
      await fsp.rm(path.join(dist, entry), { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Instance files: conf, password, pid

function confText(settings: Settings, paths: Paths): string {
  const bolt = `127.0.0.1:${settings.boltPort}`;
  const http = settings.httpPort
    ? [
        "server.http.enabled=true",
        `server.http.listen_address=127.0.0.1:${settings.httpPort}`,
        `server.http.advertised_address=127.0.0.1:${settings.httpPort}`,
      ]
    : ["server.http.enabled=false"];
  return [
    "# Written by scripts/neo4j-local.ts on every start: change the script or its env vars, not this file.",
    `server.directories.data=${paths.data}`,
    `server.directories.logs=${paths.logs}`,
    `server.directories.run=${paths.run}`,
    `server.directories.lib=${paths.lib}`,
    "server.default_listen_address=127.0.0.1",
    `server.bolt.listen_address=${bolt}`,
    `server.bolt.advertised_address=${bolt}`,
    ...http,
    "server.https.enabled=false",
    "dbms.usage_report.enabled=false",
    `server.memory.heap.initial_size=${settings.heap}`,
    `server.memory.heap.max_size=${settings.heap}`,
    `server.memory.pagecache.size=${settings.pageCache}`,
    // Transaction log files are preallocated at full size (256 MB each by default, per database).
    "db.tx_log.rotation.size=64M",
    "db.tx_log.rotation.retention_policy=2 files",
    ...JVM_FLAGS.map((flag) => `server.jvm.additional=${flag}`),
    // Netty's graceful-shutdown quiet period (5 s, twice) would make every stop take ~10 s. The key
    // is internal, and strict validation rejects a key a version lacks, hence only for 5.x.
    ...(settings.version.startsWith("5.") ? ["internal.dbms.bolt.netty_server_shutdown_quiet_period=0"] : []),
    "",
  ].join("\n");
}

/** The Bolt URI of the conf on disk, i.e. of the running instance (the conf changes only on start). */
function boltUriFromConf(paths: Paths, fallbackPort: number): string {
  let address = `127.0.0.1:${fallbackPort}`;
  try {
    const conf = fs.readFileSync(path.join(paths.conf, "neo4j.conf"), "utf8");
    address = /^server\.bolt\.listen_address=(.+)$/m.exec(conf)?.[1]?.trim() ?? address;
  } catch {
    // no conf: keep the fallback
  }
  return `bolt://${address}`;
}

function isFirstStart(paths: Paths): boolean {
  return !fs.existsSync(path.join(paths.data, "databases", "system"));
}

async function readOrCreatePassword(paths: Paths, firstStart: boolean): Promise<string> {
  try {
    return (await fsp.readFile(paths.passwordFile, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!firstStart) {
    throw new Error(
      `${paths.passwordFile} is missing but ${paths.data} already has its users, so the password is unknown: ` +
        `delete ${paths.data} to start afresh (this deletes the local data)`,
    );
  }
  const password = newPassword();
  await fsp.mkdir(paths.home, { recursive: true });
  await fsp.writeFile(paths.passwordFile, `${password}\n`, { mode: 0o600 });
  await fsp.chmod(paths.passwordFile, 0o600); // in case an odd umask widened it
  return password;
}

/**
 * A new instance's password: 32 URL-safe characters (192 random bits) that never begin with "-",
 * so no command line takes it for an option (a CI run failed when base64url began with "-").
 */
export function newPassword(random: Buffer = randomBytes(24)): string {
  const password = random.toString("base64url");
  return password.startsWith("-") ? `p${password.slice(1)}` : password;
}

/**
 * The arguments of `neo4j-admin dbms set-initial-password`. The `--` ends the options, so picocli
 * reads whatever follows as the password, "-" first or not.
 */
export function initialPasswordArgs(lib: string, password: string): string[] {
  return ["-cp", `${lib}/*`, "org.neo4j.cli.AdminTool", "dbms", "set-initial-password", "--", password];
}

async function setInitialPassword(paths: Paths, password: string, log: Log): Promise<void> {
  log("setting the initial password...");
  try {
    await execFileAsync(javaCommand(), initialPasswordArgs(paths.lib, password), {
      cwd: paths.home,
      env: neo4jEnv(paths),
    });
  } catch (error) {
    throw new Error(`neo4j-admin dbms set-initial-password failed:\n${outputTail(error)}`);
  }
}

function neo4jEnv(paths: Paths): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEO4J_HOME: paths.home, NEO4J_CONF: paths.conf };
  // Neo4j's launchers let these override the conf's memory settings; the conf is the one truth.
  delete env.JAVA_OPTS;
  delete env.HEAP_SIZE;
  return env;
}

/** The pid from the pid file if it is this instance's live JVM; a stale pid file is removed. */
function readLivePid(paths: Paths): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(paths.pidFile, "utf8"), 10);
  } catch {
    return undefined;
  }
  if (Number.isInteger(pid) && isOurJvm(pid, paths.home)) return pid;
  fs.rmSync(paths.pidFile, { force: true });
  return undefined;
}

function removePidFile(paths: Paths, pid: number | undefined): void {
  try {
    if (Number.parseInt(fs.readFileSync(paths.pidFile, "utf8"), 10) === pid) fs.rmSync(paths.pidFile);
  } catch {
    // already gone
  }
}

/** Guards against pid reuse: the pid must be a Neo4j JVM started with this instance's home. */
function isOurJvm(pid: number, home: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(`--home-dir=${home}`);
  } catch {
    return true; // no /proc (macOS): a live pid from our own pid file is the best evidence there is
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---------------------------------------------------------------------------------------------
// Running the JVM

/** JVMs this process started and has not stopped yet; the process hooks below act on them. */
interface OwnedJvm {
  child: ChildProcess;
  stop(): Promise<void>;
  handleSignals: boolean;
  /** Set once Bolt answered; an exit before that is reported by the start itself. */
  ready: boolean;
}
const owned = new Set<OwnedJvm>();
let exitHookInstalled = false;

function spawnServer(settings: Settings, paths: Paths): ChildProcess {
  // The same command line `neo4j console --dry-run` prints. Starting it directly (not through the
  // launcher, which forks it) leaves exactly one process to signal, so nothing can be orphaned.
  const args = [
    "-cp",
    [paths.conf, paths.lib, ...(settings.httpPort ? [paths.browserLib] : [])].map((dir) => `${dir}/*`).join(path.delimiter),
    ...JVM_FLAGS,
    "-Dfile.encoding=UTF-8",
    `-Xms${settings.heap}`,
    `-Xmx${settings.heap}`,
    "org.neo4j.server.CommunityEntryPoint",
    `--home-dir=${paths.home}`,
    `--config-dir=${paths.conf}`,
    "--console-mode",
  ];
  // Output goes straight to a file, not through pipes, so the JVM never depends on this process.
  const output = fs.openSync(paths.consoleLog, "w");
  try {
    // Own process group: a Ctrl-C reaches only Node, which then stops the JVM in order.
    return spawn(javaCommand(), args, { cwd: paths.home, env: neo4jEnv(paths), stdio: ["ignore", output, output], detached: true });
  } finally {
    fs.closeSync(output);
  }
}

function own(child: ChildProcess, paths: Paths, handleSignals: boolean, log: Log): OwnedJvm {
  child.on("error", (error) => log(`${javaCommand()}: ${error.message}`));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${javaCommand()}`);
  let stopping: Promise<void> | undefined;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const jvm: OwnedJvm = {
    child,
    handleSignals,
    ready: false,
    stop: () =>
      (stopping ??= (async () => {
        if (exited()) return;
        log("stopping...");
        const startedAt = Date.now();
        await terminate(pid, exited);
        removePidFile(paths, pid);
        log(`stopped (${secondsSince(startedAt)} s)`);
      })()),
  };
  child.once("exit", (code, signal) => {
    owned.delete(jvm);
    updateSignalHandlers();
    removePidFile(paths, pid);
    if (stopping || !jvm.ready) return;
    if (code === 0) log("Neo4j was stopped from outside this process");
    else log(`Neo4j exited unexpectedly (${signal ?? `exit code ${code}`}); see ${paths.consoleLog}`);
  });
  // Don't let a caller that never calls stop() hang on the JVM: the exit hook ends it.
  child.unref();
  owned.add(jvm);
  updateSignalHandlers();
  installExitHook();
  fs.writeFileSync(paths.pidFile, `${pid}\n`);
  return jvm;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work runs on exit: ask each JVM to shut down; it finishes on its own.
  process.on("exit", () => {
    for (const jvm of owned) jvm.child.kill("SIGTERM");
  });
}

function updateSignalHandlers(): void {
  const wanted = [...owned].some((jvm) => jvm.handleSignals);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const installed = process.listeners(signal).includes(onSignal);
    // A listener replaces Node's default exit-on-signal, so it must not outlive the JVMs.
    if (wanted && !installed) process.on(signal, onSignal);
    if (!wanted && installed) process.off(signal, onSignal);
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // A repeated signal just joins the same stop (each stop() is memoized).
  void Promise.allSettled([...owned].map((jvm) => jvm.stop())).then(() =>
    process.exit(128 + (os.constants.signals[signal] ?? 0)),
  );
}

async function terminate(pid: number, isGone: () => boolean): Promise<void> {
  sendSignal(pid, "SIGTERM");
  if (await waitUntil(isGone, STOP_TIMEOUT_MS)) return;
  sendSignal(pid, "SIGKILL");
  await waitUntil(isGone, 10_000);
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

async function assertPortFree(port: number, envName: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${port} on 127.0.0.1 is already in use (another Neo4j?): stop it, or pick another port with ${envName}`)
          : error,
      ),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

/** Polls `RETURN 1` until it answers, the process is gone, or the timeout passes. */
async function waitForBolt(
  uri: string,
  password: string,
  paths: Paths,
  processAlive: () => boolean,
): Promise<"ready" | "exited" | "timeout"> {
  const driver = neo4j.driver(uri, neo4j.auth.basic(USERNAME, password), {
    connectionTimeout: 5_000,
    maxConnectionPoolSize: 1,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (!processAlive()) return "exited";
      try {
        await ping(driver);
        return "ready";
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string" && code.startsWith("Neo.ClientError.Security.")) {
          throw new Error(
            `Neo4j on ${uri} rejected the password in ${paths.passwordFile} (${code}). If its data was created ` +
              `with another password, stop it and delete ${paths.data} to start afresh (this deletes the local data).`,
          );
        }
        // Not up yet (connection refused, databases still starting): try again.
      }
      await sleep(POLL_MS);
    }
    return "timeout";
  } finally {
    await driver.close();
  }
}

async function ping(driver: Driver): Promise<void> {
  // An auto-commit query: the driver's managed transactions would retry on their own for 30 s.
  const session = driver.session({ database: DATABASE });
  try {
    await session.run("RETURN 1");
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Start

interface Launched {
  neo: LocalNeo4j;
  /** The JVM, when this call started it. */
  child?: ChildProcess;
}

export async function startLocalNeo4j(options: LocalNeo4jOptions): Promise<LocalNeo4j> {
  return (await launch(options)).neo;
}

async function launch(options: LocalNeo4jOptions): Promise<Launched> {
  const log = options.log ?? defaultLog;
  const settings = readSettings(options.instance);
  const paths = pathsFor(settings.instance, settings.version);
  await checkPrerequisites(settings, paths);

  const running = await reuseRunning(settings, paths, log);
  if (running) return { neo: running };
  await ensureJars(settings, paths, log);
  return startServer(settings, paths, log, options.handleSignals ?? true);
}

async function reuseRunning(settings: Settings, paths: Paths, log: Log): Promise<LocalNeo4j | undefined> {
  const pid = readLivePid(paths);
  if (pid === undefined) return undefined;
  const uri = boltUriFromConf(paths, settings.boltPort);
  const password = await readOrCreatePassword(paths, false);
  // It may still be starting (or stopping) in another process: wait for either outcome.
  const outcome = await waitForBolt(uri, password, paths, () => isOurJvm(pid, paths.home));
  if (outcome === "timeout") {
    throw new Error(
      `Neo4j (pid ${pid}) is running but did not answer on ${uri} within ${READY_TIMEOUT_MS / 1000} s: ` +
        `stop it with \`tsx scripts/neo4j-local.ts --stop${settings.instance === "test" ? " --test" : ""}\``,
    );
  }
  if (outcome === "exited") {
    removePidFile(paths, pid);
    return undefined;
  }
  log(`reusing the ${settings.instance} instance already running on ${uri} (pid ${pid}); its settings stay as they were`);
  return { uri, username: USERNAME, password, database: DATABASE, started: false, stop: async () => {} };
}

async function startServer(settings: Settings, paths: Paths, log: Log, handleSignals: boolean): Promise<Launched> {
  await assertPortFree(settings.boltPort, INSTANCE_DEFAULTS[settings.instance].boltPortEnv);
  if (settings.httpPort) await assertPortFree(settings.httpPort, "NEO4J_HTTP_PORT");
  for (const dir of [paths.conf, paths.data, paths.logs, paths.run]) await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(path.join(paths.conf, "neo4j.conf"), confText(settings, paths));
  const firstStart = isFirstStart(paths);
  const password = await readOrCreatePassword(paths, firstStart);
  if (firstStart) await setInitialPassword(paths, password, log);

  log(`starting Neo4j ${settings.version} (${settings.instance}: heap ${settings.heap}, page cache ${settings.pageCache})...`);
  const startedAt = Date.now();
  const child = spawnServer(settings, paths);
  const jvm = own(child, paths, handleSignals, log);
  const uri = `bolt://127.0.0.1:${settings.boltPort}`;
  try {
    const outcome = await waitForBolt(uri, password, paths, () => child.exitCode === null && child.signalCode === null);
    if (outcome === "exited") {
      throw new Error(`Neo4j exited while starting. Last lines of ${paths.consoleLog}:\n${tail(paths.consoleLog)}`);
    }
    if (outcome === "timeout") {
      throw new Error(
        `Neo4j did not answer on ${uri} within ${READY_TIMEOUT_MS / 1000} s. Last lines of ${paths.consoleLog}:\n` +
          `${tail(paths.consoleLog)}\n(more in ${path.join(paths.logs, "debug.log")})`,
      );
    }
  } catch (error) {
    await jvm.stop();
    throw error;
  }
  jvm.ready = true;
  log(`ready on ${uri} (${secondsSince(startedAt)} s)`);
  if (settings.httpPort) {
    log(`HTTP on http://127.0.0.1:${settings.httpPort}; Neo4j Browser at http://127.0.0.1:${settings.httpPort}/browser/ (development only: raw database access)`);
  }
  return {
    neo: { uri, username: USERNAME, password, database: DATABASE, started: true, stop: jvm.stop },
    child,
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(temp, text);
  await fsp.rename(temp, file);
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return `(${file} could not be read)`;
  }
}

/** A failed command's output without Java stack frames, which would push the messages out of view. */
function outputTail(error: unknown, lines = 30): string {
  const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message?: string };
  const output = `${stdout ?? ""}${stderr ?? ""}`.trim() || message || String(error);
  return output
    .split("\n")
    .filter((line) => !/^\s+(at |\.\.\. \d+ more)/.test(line))
    .slice(-lines)
    .join("\n");
}

function secondsSince(startedAt: number): string {
  return ((Date.now() - startedAt) / 1000).toFixed(1);
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = "usage: tsx scripts/neo4j-local.ts [--test] [--download-only | --stop]";

export async function cli(args: string[]): Promise<void> {
  const flags = new Set(args);
  if (args.some((arg) => !["--test", "--download-only", "--stop"].includes(arg)) || (flags.has("--stop") && flags.has("--download-only"))) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const instance: Instance = flags.has("--test") ? "test" : "dev";
  if (flags.has("--download-only")) return downloadOnly(instance);
  if (flags.has("--stop")) return stopInstance(instance);

  const { neo, child } = await launch({ instance, handleSignals: true });
  const env = `NEO4J_URI=${neo.uri} NEO4J_USERNAME=${neo.username} NEO4J_PASSWORD=${neo.password} NEO4J_DATABASE=${neo.database}`;
  console.log(`\nURI       ${neo.uri}\nUser      ${neo.username}\nPassword  ${neo.password}\nDatabase  ${neo.database}\n\n${env}\n`);
  if (!child) {
    defaultLog(`it was started by another process; stop it with: tsx scripts/neo4j-local.ts --stop${instance === "test" ? " --test" : ""}`);
    return;
  }
  child.ref(); // stay in the foreground as long as the JVM runs
  // Reached only when the JVM ends on its own or through `--stop`; a signal here exits elsewhere.
  child.once("exit", (code) => (process.exitCode = code === 0 ? 0 : 1));
  defaultLog("running in the foreground: Ctrl-C stops it");
}

async function downloadOnly(instance: Instance): Promise<void> {
  const settings = readSettings(instance);
  const paths = pathsFor(instance, settings.version);
  await checkPrerequisites(settings, paths);
  await ensureJars(settings, paths, defaultLog);
  for (const set of jarSetsFor(settings, paths)) defaultLog(`${set.name} is in ${set.lib}`);
}

async function stopInstance(instance: Instance): Promise<void> {
  const paths = pathsFor(instance, DEFAULT_VERSION); // the instance folders do not depend on the version
  const pid = readLivePid(paths);
  if (pid === undefined) {
    defaultLog(`the ${instance} instance is not running`);
    return;
  }
  defaultLog(`stopping the ${instance} instance (pid ${pid})...`);
  const startedAt = Date.now();
  await terminate(pid, () => !isOurJvm(pid, paths.home));
  removePidFile(paths, pid);
  defaultLog(`stopped (${secondsSince(startedAt)} s)`);
}
