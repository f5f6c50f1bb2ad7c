result = eval(user_input)  # want: AUR302
exec(code)  # want: AUR302
eval("1 + 2")
ast.literal_eval(user_input)
