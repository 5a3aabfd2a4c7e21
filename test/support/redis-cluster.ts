import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PrivateRedis, startPrivateRedis } from './private-redis';

const run = promisify(execFile);

/** A three-master Redis Cluster of the test's own (no replicas, no persistence), on free ports. */
export interface RedisClusterSetup {
  nodes: PrivateRedis[];
  /** REDIS_CLUSTER_NODES for the app. */
  seeds: string;
  dispose(): Promise<void>;
}

export async function startRedisCluster(): Promise<RedisClusterSetup> {
  const nodes: PrivateRedis[] = [];
  const dispose = async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  };
  try {
    for (let i = 0; i < 3; i++) {
      // Each node keeps its cluster state in its own working directory (startPrivateRedis's --dir).
      nodes.push(await startPrivateRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000']));
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 20_000 });
    // Ready when every node agrees the cluster is ok (all 16 384 slots served).
    const deadline = Date.now() + 15_000;
    for (;;) {
      const states = await Promise.all(
        nodes.map(async (n) => (await run('redis-cli', ['-p', String(n.port), 'cluster', 'info'])).stdout.includes('cluster_state:ok')),
      );
      if (states.every(Boolean)) break;
      if (Date.now() > deadline) throw new Error('the test Redis Cluster did not reach cluster_state:ok within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { nodes, seeds: addresses.join(','), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
