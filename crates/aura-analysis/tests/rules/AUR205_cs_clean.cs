// An object initialiser's `format = format` sets the property from the local.
class Factory
{
    Options Make(string format, int width)
    {
        return new Options { format = format, width = width };
    }
}
