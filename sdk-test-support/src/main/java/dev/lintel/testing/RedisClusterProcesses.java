package dev.lintel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Redis Cluster of 3 masters and 3 replicas on free loopback ports, for tests that fail
 * nodes on purpose: built with {@code redis-cli --cluster create}, each node a {@link
 * RedisServerProcess} that the test can kill (by its process handle, never by name). {@link
 * #close()} kills every node and deletes their directories.
 */
public final class RedisClusterProcesses implements AutoCloseable {
  /** How many times {@link #failover} sends {@code CLUSTER FAILOVER}. */
  private static final int FAILOVER_ATTEMPTS = 5;

  /** How long {@link #failover} waits for one {@code CLUSTER FAILOVER} to complete. */
  private static final long FAILOVER_WAIT_MILLIS = 10_000;

  private final List<RedisServerProcess> nodes;

  private RedisClusterProcesses(List<RedisServerProcess> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts six nodes, joins them into a cluster with one replica per master and waits until every
   * node says the cluster is ok.
   *
   * @param nodeTimeout how long a master may be unreachable before its replica takes over
   * @return the running cluster
   * @throws IOException if it cannot be started within 60 seconds
   */
  public static RedisClusterProcesses start(Duration nodeTimeout) throws IOException {
    List<RedisServerProcess> nodes = new ArrayList<>();
    RedisClusterProcesses cluster = new RedisClusterProcesses(nodes);
    try {
      for (int i = 0; i < 6; i++) {
        nodes.add(RedisServerProcess.startClusterNodeOnFreePort(nodeTimeout));
      }
      List<String> create = new ArrayList<>(List.of(redisCli(), "--cluster", "create"));
      nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      String output = run(create);
      if (!output.contains("All 16384 slots covered")) {
        throw new IOException("redis-cli --cluster create failed: " + output);
      }
      cluster.awaitHealthy(Duration.ofSeconds(60));
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Waits until every running node says {@code cluster_state:ok} and every running replica has its
   * link to its master up (a replica that never synced cannot take over).
   *
   * @param timeout how long to wait
   * @throws IOException if the cluster is not ok in time
   */
  public void awaitHealthy(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (RedisServerProcess node : nodes) {
        if (!node.isAlive()) {
          continue;
        }
        String replication = cli(node.port(), "info", "replication");
        if (!cli(node.port(), "cluster", "info").contains("cluster_state:ok")
            || (replication.contains("role:slave")
                && !replication.contains("master_link_status:up"))) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return;
      }
      sleep(100);
    }
    throw new IOException("the cluster did not become ok within " + timeout);
  }

  /**
   * Tells the node that serves a slot as master now, as a live node sees it.
   *
   * @param slot the hash slot
   * @return the node
   * @throws IOException if no live node answers or none serves the slot
   */
  public RedisServerProcess masterOf(int slot) throws IOException {
    for (String line : clusterNodes()) {
      String[] fields = line.split(" ");
      if (!fields[2].contains("master") || fields[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < fields.length; i++) {
        String[] range = fields[i].split("-");
        if (range[0].startsWith("[")) {
          continue;
        }
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          return node(fields[1]);
        }
      }
    }
    throw new IOException("no master serves slot " + slot);
  }

  /**
   * Waits until another node than {@code old} serves a slot as master (a failover finished), asking
   * every 200 ms.
   *
   * @param slot the hash slot
   * @param old the master before the failover
   * @param timeout how long to wait
   * @return the new master
   * @throws IOException if no other master serves it in time
   */
  public RedisServerProcess awaitNewMaster(int slot, RedisServerProcess old, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        RedisServerProcess master = masterOf(slot);
        if (!master.equals(old)) {
          return master;
        }
      } catch (IOException notYet) {
        // no master for the slot while the failover runs
      }
      sleep(200);
    }
    throw new IOException("no new master for slot " + slot + " within " + timeout);
  }

  /**
   * Tells a replica of a master.
   *
   * @param master the master
   * @return one of its replicas
   * @throws IOException if it has none
   */
  public RedisServerProcess replicaOf(RedisServerProcess master) throws IOException {
    // Each replica's own INFO, not one node's CLUSTER NODES: that view learns who replicates whom
    // by
    // gossip and lagged behind once right after the cluster was created ("has no replica").
    for (RedisServerProcess node : nodes) {
      if (node.equals(master) || !node.isAlive()) {
        continue;
      }
      List<String> replication =
          cli(node.port(), "info", "replication").lines().map(String::trim).toList();
      if (replication.contains("role:slave")
          && replication.contains("master_port:" + master.port())) {
        return node;
      }
    }
    throw new IOException("master on port " + master.port() + " has no replica");
  }

  /**
   * Sends {@code CLUSTER FAILOVER} to a replica and waits until it has become a master: it takes
   * over its master's slots once it has caught up, and the master becomes its replica. Redis gives
   * a manual failover 5 s to complete and drops it silently when the replica cannot catch up in
   * time (a loaded machine), so the command is sent again, up to {@value #FAILOVER_ATTEMPTS} times,
   * while the replica is still a replica {@value #FAILOVER_WAIT_MILLIS} ms later.
   *
   * @param replica the replica
   * @throws IOException if the command is refused, or the replica never became a master
   */
  public void failover(RedisServerProcess replica) throws IOException {
    for (int attempt = 1; attempt <= FAILOVER_ATTEMPTS; attempt++) {
      String reply = cli(replica.port(), "cluster", "failover").trim();
      if (!reply.equals("OK")) {
        throw new IOException("CLUSTER FAILOVER on port " + replica.port() + ": " + reply);
      }
      long deadline = System.nanoTime() + FAILOVER_WAIT_MILLIS * 1_000_000L;
      while (System.nanoTime() < deadline) {
        if (cli(replica.port(), "role").startsWith("master")) {
          return;
        }
        sleep(200);
      }
    }
    throw new IOException(
        "the replica on port "
            + replica.port()
            + " is still a replica after "
            + FAILOVER_ATTEMPTS
            + " CLUSTER FAILOVER commands");
  }

  /**
   * Tells a seed node's address.
   *
   * @return a {@code redis://127.0.0.1:port} URI of a live node
   */
  public String seedUri() {
    for (RedisServerProcess node : nodes) {
      if (node.isAlive()) {
        return "redis://127.0.0.1:" + node.port();
      }
    }
    throw new IllegalStateException("no node of the cluster is running");
  }

  private List<String> clusterNodes() throws IOException {
    for (RedisServerProcess node : nodes) {
      if (node.isAlive()) {
        return cli(node.port(), "cluster", "nodes").lines().filter(l -> !l.isBlank()).toList();
      }
    }
    throw new IOException("no node of the cluster is running");
  }

  private RedisServerProcess node(String address) throws IOException {
    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1).split("@")[0]);
    for (RedisServerProcess node : nodes) {
      if (node.port() == port) {
        return node;
      }
    }
    throw new IOException("no node of this cluster at " + address);
  }

  private static String cli(int port, String... command) throws IOException {
    List<String> line = new ArrayList<>(List.of(redisCli(), "-h", "127.0.0.1", "-p", "" + port));
    line.addAll(List.of(command));
    return run(line);
  }

  private static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted: " + command, e);
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** {@code redis-cli} next to the test's {@code redis-server}, else from the PATH. */
  private static String redisCli() {
    String server = TestServers.redisServerExecutable();
    int slash = server.lastIndexOf('/');
    if (slash >= 0) {
      java.io.File cli = new java.io.File(server.substring(0, slash + 1) + "redis-cli");
      if (cli.canExecute()) {
        return cli.getPath();
      }
    }
    return "redis-cli";
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Kills every node (each by its own process handle) and deletes their directories. */
  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::close);
  }
}
