# Metrics fixture for Ruby. Values were worked out by hand.

# expect: else_if cc=3 cog=3 nest=1 params=1 exits=2
def else_if(x)
  if x > 0
    return 1
  elsif x < 0
    return -1
  else
    0
  end
end

# expect: cases cc=3 cog=1 nest=1 params=1
def cases(x)
  case x
  when 1 then "one"
  when 2, 3 then "few"
  else "many"
  end
end

# expect: loops cc=4 cog=4 nest=1 params=2 exits=1
def loops(items, limit)
  items.each do |item|
    while item > limit and item != 0
      item -= 1
    end
  end
  return if limit.nil?
end

# expect: build cc=2 cog=1 params=0
def self.build
  new
rescue ArgumentError
  nil
end

# Recursion: +1 once; `self.fact` would not count.
# expect: fact cc=2 cog=2 params=1 exits=1
def fact(n)
  return 1 if n <= 1
  n * fact(n - 1)
end
