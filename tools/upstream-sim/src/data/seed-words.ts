// Word lists the seed draws from. Changing them changes the generated data.

export const FIRST_NAMES = [
  'Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy',
  'Karl', 'Lena', 'Mallory', 'Niaj', 'Olivia', 'Peggy', 'Quentin', 'Rupert', 'Sybil', 'Trent',
  'Uma', 'Victor', 'Wendy', 'Xavier', 'Yara', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Schmidt', 'Rossi', 'Novak', 'Jensen', 'Garcia', 'Kowalski', 'Silva',
  'Nielsen', 'Moreau', 'Weber', 'Costa', 'Horvat', 'Larsen',
] as const;

export const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  electronics: ['Headphones', 'Speaker', 'Keyboard', 'Monitor', 'Charger', 'Camera'],
  books: ['Novel', 'Cookbook', 'Atlas', 'Field Guide', 'Anthology', 'Handbook'],
  home: ['Lamp', 'Kettle', 'Blanket', 'Vase', 'Clock', 'Cutting Board'],
  garden: ['Planter', 'Hose', 'Shears', 'Bird Feeder', 'Seed Kit', 'Trowel'],
  toys: ['Puzzle', 'Robot', 'Kite', 'Building Set', 'Board Game', 'Plush Bear'],
  sports: ['Yoga Mat', 'Water Bottle', 'Backpack', 'Tennis Racket', 'Helmet', 'Jump Rope'],
  fashion: ['Scarf', 'Sneakers', 'Jacket', 'Wallet', 'Sunglasses', 'Beanie'],
  beauty: ['Face Cream', 'Shampoo', 'Perfume', 'Lip Balm', 'Hair Brush', 'Soap Set'],
};

export const ADJECTIVES = [
  'Compact', 'Classic', 'Smart', 'Ultra', 'Eco', 'Pro', 'Mini', 'Deluxe', 'Rugged', 'Nordic',
  'Urban', 'Vintage',
] as const;

export const AUDIENCES = ['everyday use', 'travellers', 'families', 'beginners', 'enthusiasts', 'gifting'] as const;

export const FEATURES = [
  'Built to last with a two-year warranty',
  'Made from recycled materials',
  'Ships in plastic-free packaging',
  'Designed and tested in Lyon',
  'Rated best in class by our customers',
  'Easy to clean and store',
] as const;

export const TAGS = ['new', 'sale', 'bestseller', 'eco', 'limited', 'gift', 'premium', 'bundle'] as const;

export const REVIEW_TITLES: Readonly<Record<number, readonly string[]>> = {
  1: ['Disappointed', 'Broke after a week', 'Not as described'],
  2: ['Could be better', 'Meh', 'Below expectations'],
  3: ['Does the job', 'Average', 'Fine for the price'],
  4: ['Very good', 'Happy with it', 'Would buy again'],
  5: ['Excellent!', 'Love it', 'Perfect gift'],
};

export const REVIEW_BODIES = [
  'Arrived quickly and well packed.',
  'The quality is what I expected for the price.',
  'I have used it every day for a month now.',
  'The colour is slightly different from the photos.',
  'Customer service answered my question the same day.',
  'My kids use it more than I do.',
] as const;
