package p

var c = &tls.Config{InsecureSkipVerify: true} // want: AUR307
var d = &tls.Config{InsecureSkipVerify: false}
