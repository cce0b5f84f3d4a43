import { loggable } from './http-exception.filter';

describe('loggable', () => {
  it('keeps the database error code but never the SQL parameters or the DETAIL values', () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "UQ_patient_cccd"'), {
      name: 'QueryFailedError',
      query: 'INSERT INTO health_record.idx_token ...',
      parameters: ['Patient', 'id', '092090012345'],
      driverError: {
        code: '23505',
        constraint: 'UQ_patient_cccd',
        table: 'idx_token',
        detail: 'Key (code)=(092090012345) already exists.',
      },
    });
    const logged = JSON.stringify(loggable(err));
    expect(logged).toContain('23505');
    expect(logged).toContain('UQ_patient_cccd');
    expect(logged).not.toContain('092090012345');
    expect(logged).not.toContain('INSERT INTO');
  });
});
