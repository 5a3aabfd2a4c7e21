import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { RecentFailures } from '../../core/login-throttle';
import { LoginAttempt, LoginAttemptRepository } from '../../core/ports/login-attempt.repository.port';
import { runSql } from './raw-sql';

@Injectable()
export class MikroOrmLoginAttemptRepository implements LoginAttemptRepository {
  constructor(private readonly em: EntityManager) {}

  async record(attempt: LoginAttempt): Promise<void> {
    await runSql(this.em, 'insert into login_attempts (email, ip, succeeded, at) values (?, ?, ?, ?)', [
      attempt.email,
      attempt.ip,
      attempt.succeeded,
      attempt.at,
    ]);
  }

  /** Both counts in one round trip; each uses its (key, at desc) index. */
  async countRecentFailures(email: string, ip: string, since: Date): Promise<RecentFailures> {
    const [row] = await runSql<{ by_email: number; by_ip: number }>(
      this.em,
      `with last_success as (
         select max(at) as at from login_attempts where lower(email) = lower(?) and succeeded and at > ?
       )
       select
         (select count(*)::int from login_attempts a, last_success s
           where lower(a.email) = lower(?) and not a.succeeded and a.at > ?
             and (s.at is null or a.at > s.at)) as by_email,
         (select count(*)::int from login_attempts where ip = ? and not succeeded and at > ?) as by_ip`,
      [email, since, email, since, ip, since],
    );
    return { byEmail: row.by_email, byIp: row.by_ip };
  }
}
