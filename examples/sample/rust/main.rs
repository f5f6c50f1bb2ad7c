fn main() {
    let prices = vec![1, 2, 3];
    let total: i32 = prices.iter().sum();
    println!("{}", total;
}
