import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { PrivateRedis, startPrivateRedis } from './private-redis';

const run = promisify(execFile);

/**
 * A Redis Cluster of the test's own (three masters, no persistence), on free ports. By default
 * without replicas; with `replicasPerMaster: 1` each master gets a replica (six processes), so a
 * killed master is replaced by its replica as in production.
 */
export interface RedisClusterSetup {
  /** Every node started, masters and replicas alike (a killed one stays listed, not running). */
  nodes: PrivateRedis[];
  /** REDIS_CLUSTER_NODES for the app. */
  seeds: string;
  /** The node that serves (as master) the slot of the key `{hashTag}`, e.g. the app's queue prefix. */
  masterOfHashTag(hashTag: string): Promise<PrivateRedis>;
  /**
   * Kills a master with SIGKILL (no goodbye to clients, no last word to its replica); resolves
   * with a handle to wait for the failover.
   */
  killMaster(master: PrivateRedis): Promise<{ failover(timeoutMs?: number): Promise<PrivateRedis> }>;
  dispose(): Promise<void>;
}

export interface RedisClusterOptions {
  /** 0 (default): three masters only; 1: a replica for each master. */
  replicasPerMaster?: 0 | 1;
  /** How long a node may be unreachable before the others declare it failed (ms, default 2000). */
  nodeTimeoutMs?: number;
}

/** [start, end, [host, port, id], ...replicas] per slot range: CLUSTER SLOTS's answer. */
type SlotRange = [number, number, [string, number, string], ...[string, number, string][]];

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterSetup> {
  const replicas = options.replicasPerMaster ?? 0;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 2000;
  const nodes: PrivateRedis[] = [];
  const clients = new Map<number, Redis>();
  const dispose = async () => {
    for (const client of clients.values()) client.disconnect();
    clients.clear();
    await Promise.all(nodes.map((n) => n.dispose()));
  };

  /** A plain (non-cluster) client of one node, for CLUSTER and ROLE commands about the topology. */
  const clientOf = (node: PrivateRedis): Redis => {
    let client = clients.get(node.port);
    // Without retries a client ends with its connection; a later question gets a fresh one.
    if (!client || client.status === 'end') {
      client = new Redis({ host: '127.0.0.1', port: node.port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      client.on('error', () => undefined);
      clients.set(node.port, client);
    }
    return client;
  };
  const running = () => nodes.filter((n) => n.running);
  const clusterStateOk = async (node: PrivateRedis) => ((await clientOf(node).call('CLUSTER', 'INFO')) as string).includes('cluster_state:ok');
  const nodeByPort = (port: number) => {
    const node = nodes.find((n) => n.port === port);
    if (!node) throw new Error(`the cluster names a node on port ${port} the test did not start`);
    return node;
  };
  /** The port of the master serving `slot`, as `asked` sees the cluster. */
  const masterPortOfSlot = async (asked: PrivateRedis, slot: number): Promise<number> => {
    const ranges = (await clientOf(asked).call('CLUSTER', 'SLOTS')) as SlotRange[];
    const range = ranges.find(([start, end]) => slot >= start && slot <= end);
    if (!range) throw new Error(`no node serves slot ${slot}`);
    return Number(range[2][1]);
  };
  const slotOf = async (hashTag: string) => Number(await clientOf(running()[0]).call('CLUSTER', 'KEYSLOT', `{${hashTag}}`));

  try {
    for (let i = 0; i < 3 * (1 + replicas); i++) {
      // Each node keeps its cluster state in its own working directory (startPrivateRedis's --dir).
      nodes.push(
        await startPrivateRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeoutMs)]),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    // All nodes share one host, so redis-cli warns about replicas beside their masters; --cluster-yes accepts.
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 20_000 });
    // Ready when every node agrees the cluster is ok (all 16 384 slots served) and every replica
    // has finished its first sync (a replica that never synced cannot take over).
    await waitUntil(
      async () => {
        const states = await Promise.all(nodes.map(clusterStateOk));
        if (!states.every(Boolean)) return false;
        const roles = await Promise.all(nodes.map(async (n) => (await clientOf(n).call('ROLE')) as unknown[]));
        const synced = roles.filter((r) => r[0] === 'slave' && r[3] === 'connected').length;
        return synced === 3 * replicas;
      },
      15_000,
      'the test Redis Cluster to reach cluster_state:ok with every replica in sync',
    );

    return {
      nodes,
      seeds: addresses.join(','),
      masterOfHashTag: async (hashTag) => nodeByPort(await masterPortOfSlot(running()[0], await slotOf(hashTag))),
      killMaster: async (master) => {
        const ranges = (await clientOf(master).call('CLUSTER', 'SLOTS')) as SlotRange[];
        const served = ranges.filter((r) => Number(r[2][1]) === master.port).map(([start]) => start);
        if (!served.length) throw new Error(`the node on port ${master.port} is no master`);
        clientOf(master).disconnect();
        clients.delete(master.port);
        await master.stop('SIGKILL');
        return {
          /** Resolves with the promoted node once every running node names it for the dead master's slots and reports `cluster_state:ok`. */
          failover: async (timeoutMs = 20_000) => {
            let promoted = 0;
            await waitUntil(
              async () => {
                const alive = running();
                const owners = await Promise.all(alive.map((n) => masterPortOfSlot(n, served[0])));
                if (!owners.every((port) => port !== master.port && port === owners[0])) return false;
                if (!(await Promise.all(alive.map(clusterStateOk))).every(Boolean)) return false;
                promoted = owners[0];
                return true;
              },
              timeoutMs,
              `a replica of the master on port ${master.port} to be promoted and the cluster to be ok again`,
            );
            return nodeByPort(promoted);
          },
        };
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Polls until `ready` answers true; a node that does not answer yet counts as not ready. */
async function waitUntil(ready: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      if (await ready()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
