public class Main {
    public static void main(String[] args) {
        int count = args.length
        System.out.println(count);
    }
}
