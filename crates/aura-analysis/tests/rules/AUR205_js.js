x = x; // want: AUR205
this.a = this.a; // want: AUR205
this.a = a;
y += y;
arr[i] = arr[i];
