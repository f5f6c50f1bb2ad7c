package p

const slack = "xoxb-1234567890-abcdefghij" // want: AUR301
var googleKey = "AIzaSyA0123456789abcdefghijklmnopqrstuv" // want: AUR301
var name = "AIza"
