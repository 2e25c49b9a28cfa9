import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PageQueryDto } from './paging.js';

describe(PageQueryDto.name, () => {
  const errorsOf = (query: Record<string, unknown>) => validateSync(plainToInstance(PageQueryDto, query)).map((error) => error.property);

  it('takes plain decimal digits as numbers and keeps the defaults', () => {
    expect(plainToInstance(PageQueryDto, { page: '3', pageSize: '050' })).toMatchObject({ page: 3, pageSize: 50 });
    expect(plainToInstance(PageQueryDto, {})).toMatchObject({ page: 1, pageSize: 20 });
  });

  it.each(['0x10', '1e3', '0b1', '0o7', ' 5', '5 ', '1.0', '', '-1', 'Infinity', '9'.repeat(20)])('refuses page "%s"', (page) => {
    expect(errorsOf({ page })).toEqual(['page']);
  });
});
