import { IsInt, Matches, MaxLength, validate } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata.cache';

const reasons = async (object: object, groups?: string[]) =>
  (await validate(object, { whitelist: true, forbidNonWhitelisted: true, groups })).flatMap((e) => Object.values(e.constraints ?? {})).sort();

class Base {
  @Matches(/^p\d+$/, { message: 'id must look like p123' })
  id!: string;
}

class Child extends Base {
  @MaxLength(3, { message: 'name is too long' })
  name!: string;
}

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('validates the same way on every call: own and inherited rules, unknown fields refused', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await reasons(Object.assign(new Child(), { id: 'x', name: 'long', extra: 1 }))).toEqual([
        'id must look like p123',
        'name is too long',
        'property extra should not exist',
      ]);
      expect(await reasons(Object.assign(new Child(), { id: 'p1', name: 'ok' }))).toEqual([]);
    }
  });

  it('sees a rule decorated after the class was first validated', async () => {
    class Late {
      @IsInt({ message: 'count must be an integer' })
      count!: number;
      label!: string;
    }
    expect(await reasons(Object.assign(new Late(), { count: 1.5 }))).toEqual(['count must be an integer']);
    // What a decorator applied later (a module loaded lazily) does.
    MaxLength(2, { message: 'label is too long' })(Late.prototype, 'label');
    expect(await reasons(Object.assign(new Late(), { count: 1, label: 'long' }))).toEqual(['label is too long']);
  });

  it('leaves validation by group as class-validator does it', async () => {
    class Grouped {
      @MaxLength(2, { groups: ['strict'], message: 'code is too long' })
      code!: string;
    }
    expect(await reasons(Object.assign(new Grouped(), { code: 'long' }), ['strict'])).toEqual(['code is too long']);
    expect(await reasons(Object.assign(new Grouped(), { code: 'long' }), ['other'])).not.toContain('code is too long');
  });

  it('is applied once, however often the pipe is made', () => {
    const storage = require('class-validator').getMetadataStorage();
    const lookup = storage.getTargetValidationMetadatas;
    memoizeValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });
});
