interface User { name: string; age: number }

export function describe(u: User): string {
  return `${u.name} (${u.age})`;
}

export const broken = (u: User => u.name;
